"""The Complaints page: the complaints log with clock bands, the case editor and compliments."""
