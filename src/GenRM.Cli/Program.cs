using System.CommandLine;
using GenRM.Cli;

var root = new RootCommand("GenRM Workbench: reward models, LLM judges and STaR bootstrapping (Generative Reward Models).");
foreach (Command command in CommandCatalog.All())
    root.Subcommands.Add(command);
return CommandRunner.Run(root, args);
