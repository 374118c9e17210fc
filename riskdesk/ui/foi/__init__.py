"""The FOI/EIR page: requests, their clocks, the editor and the annual report."""
