// The Allocation module; see DESIGN.md.
