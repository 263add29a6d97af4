"""Reference data: CPV 2008 codes, procurement categories, NUTS regions, contracting authorities."""
