using Bandits.Simulator;

return SimulatorCommand.Create().Parse(args).Invoke();
