"""The incidents feature: imports riskdesk.ui.kit and nothing of the other feature folders."""
