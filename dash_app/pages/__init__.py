"""The dashboard's pages (Dash Pages): each file registers one path."""
