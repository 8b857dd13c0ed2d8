"""The meeting pack: one PDF the chair takes into the room (and the dashboard shares its data)."""
