/**
 * Registers every built-in detector. Imported once by whoever compiles packs
 * (extension engine host, CLI, tests), so the registry stays in one place.
 */
