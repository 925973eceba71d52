// The Planning module; see DESIGN.md.
