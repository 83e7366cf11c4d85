using GenRM.MiniWorld;

namespace GenRM.Experiments;

/// <summary>Finds the repository (the folder holding GenRM.Workbench.sln) and its own data, from the working folder or the program's folder.</summary>
public static class RepositoryData
{
    public const string SolutionFile = "GenRM.Workbench.sln";

    /// <summary>The repository root at or above the working folder, else above the program's folder; null outside a checkout.</summary>
    public static string? FindRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return dir.FullName;
        return null;
    }

    /// <summary>The committed base model of a MiniWorld size, or null when no repository holding one is found.</summary>
    public static string? MiniWorldModelFolder(string size)
    {
        string? root = FindRoot();
        if (root is null) return null;
        string folder = MiniWorldBaseModel.Folder(root, size);
        return File.Exists(Path.Combine(folder, Modeling.ShardedCheckpoint.SingleFileName)) ? folder : null;
    }

    /// <summary>Loads the committed base model of a MiniWorld size (smoke or default), checksum verified.</summary>
    /// <exception cref="BadInputException">No repository with that model is found from the working folder.</exception>
    public static Modeling.PretrainedModel LoadMiniWorldModel(string size, TorchSharp.torch.Device? device = null) =>
        MiniWorldBaseModel.Load(MiniWorldModelFolder(size)
            ?? throw new BadInputException($"no committed MiniWorld {size} model: run from inside the repository (data/miniworld/{size}/), or write one with 'genrm pretrain --preset {size}'"), device);
}
