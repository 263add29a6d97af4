"""The clause library (MPDI 6 and 7): versioned clauses, their curation workflow and catalogue."""
