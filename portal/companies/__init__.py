"""Company profiles of SMEs and social-economy enterprises."""
