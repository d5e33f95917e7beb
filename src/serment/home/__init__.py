"""Each person's first page: the dashboard, their tasks, their own space, notifications."""
