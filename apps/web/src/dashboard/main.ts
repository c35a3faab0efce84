// Placeholder entry; replaced by the dashboard page.
