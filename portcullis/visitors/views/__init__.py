"""Pages of the visitors app, by who uses them: hosts and the security team (`visits`), the gate
(`gate`), and evacuation roll calls (`roll_calls`)."""
