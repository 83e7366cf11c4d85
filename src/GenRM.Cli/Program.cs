using System.CommandLine;
using GenRM.Cli;

// Before anything loads libtorch: its OpenMP threads read their spin settings once, at load.
GenRM.Runtime.TorchRuntime.BoundThreadSpinning();

var root = new RootCommand("GenRM Workbench: reward models, LLM judges and STaR bootstrapping (Generative Reward Models).");
foreach (Command command in CommandCatalog.All())
    root.Subcommands.Add(command);
return CommandRunner.Run(root, args);
