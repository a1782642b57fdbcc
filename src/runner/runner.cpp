// Placeholder so the module exists while the runner lands.
