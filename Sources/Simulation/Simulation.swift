// The Simulation module; see DESIGN.md.
