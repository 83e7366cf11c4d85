namespace GenRM.IO;

/// <summary>
/// Writes one or more files so that a reader never sees a partial one: each is written to a hidden
/// temporary file in its target folder and flushed to disk; <see cref="Commit"/> then renames them into
/// place in the order they were staged (a rename within one folder is atomic). Whatever was staged but
/// not committed is deleted on dispose, so a failure leaves no partial or temporary file behind.
/// </summary>
public sealed class AtomicWrite : IDisposable
{
    readonly List<(string Temporary, string Target)> staged = [];
    int committed;

    /// <summary>Writes one file atomically.</summary>
    public static void File(string path, Action<Stream> write)
    {
        using var batch = new AtomicWrite();
        batch.Stage(path, write);
        batch.Commit();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        byte[] bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
        File(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="path"/>'s content to a temporary file beside it (creating the folder).</summary>
    /// <exception cref="BadInputException">The folder cannot be written to.</exception>
    public void Stage(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        staged.Add((temporary, target));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot write the file: {e.Message}", e);
        }
    }

    /// <summary>Renames every staged file onto its target, in staging order.</summary>
    public void Commit()
    {
        for (; committed < staged.Count; committed++)
            System.IO.File.Move(staged[committed].Temporary, staged[committed].Target, overwrite: true);
    }

    public void Dispose()
    {
        foreach (var (temporary, _) in staged.Skip(committed))
        {
            try { System.IO.File.Delete(temporary); }
            catch (IOException) { /* already gone or unremovable: nothing more to do */ }
            catch (UnauthorizedAccessException) { /* as above */ }
        }
    }
}
