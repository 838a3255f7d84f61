"""Layout builders of the dashboard: pure functions from data to Dash components."""
