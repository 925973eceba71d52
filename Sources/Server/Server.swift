// The Server module; see DESIGN.md.
