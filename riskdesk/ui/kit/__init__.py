"""What every feature folder shares: background jobs, the row table model, actions, fields,
prompts, settings and per-page undo. Feature folders import this kit and nothing of each other."""
