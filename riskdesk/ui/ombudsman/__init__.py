"""The Ombudsman page: cases with their reply and recommendation dates, decisions, remedies, and the
Code self-assessment."""
