"""Policy mechanisms that change how existing agents behave (controls, payment, capacity moves,
handoffs/specialisation). Each is switched on by the ``scenario`` config group; none exist in the
baseline yet (see the scenario issues)."""
