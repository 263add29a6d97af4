"""The tender builder: dossiers, clause selection with pinned versions, Word generation."""
