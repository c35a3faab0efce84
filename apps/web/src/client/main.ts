// Placeholder entry; replaced by the client page.
