"""Pure rules of the council's risk work: no Qt, no SQLAlchemy."""
