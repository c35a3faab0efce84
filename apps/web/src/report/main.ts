// Placeholder entry; replaced by the report page.
