using GenRM.MiniWorld;

namespace GenRM.Experiments;

/// <summary>Finds the repository's own data (the committed MiniWorld base models) from the working folder or the program's folder.</summary>
public static class RepositoryData
{
    /// <summary>The committed base model of a MiniWorld size, or null when no repository holding one is found.</summary>
    public static string? MiniWorldModelFolder(string size)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string folder = MiniWorldBaseModel.Folder(dir.FullName, size);
                if (File.Exists(Path.Combine(folder, Modeling.ShardedCheckpoint.SingleFileName)))
                    return folder;
            }
        }
        return null;
    }
}
