/**
 * @replisim/harness: clusters of nodes over several backends (sim, real processes), workloads and
 * histories, fault injection, checkers, scenarios and reports, and the `replisim` binary (the
 * harness milestone fills it). It exists now so the workspace layout and dependency direction are
 * fixed from the start.
 */
export {};
