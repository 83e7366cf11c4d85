using System.Runtime.Versioning;
using GenRM.Modeling;
using GenRM.Runtime;
using TorchSharp;
using GenRM.IO;

namespace GenRM.Tests.IO;

public sealed class AtomicWriteTests : IDisposable
{
    readonly TempDirectory dir = new();

    public AtomicWriteTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void FailureMidwayKeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        string path = dir.File("weights.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicWrite.File(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFiles(dir.Path));
    }

    [Fact]
    public void NothingIsRenamedUntilCommit()
    {
        using (var batch = new AtomicWrite())
        {
            batch.Stage(dir.File("a"), stream => stream.WriteByte(1));
            batch.Stage(dir.File("b"), stream => stream.WriteByte(2));
            Assert.False(File.Exists(dir.File("a")));
        }
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
    }

    [Fact]
    public void SafetensorsSaveFailingAfterValidTensorsLeavesNoFile()
    {
        using var scope = torch.NewDisposeScope();
        string path = dir.File("model.safetensors");
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["a"] = torch.ones(10),
            ["b"] = torch.ones(10),
            ["c"] = torch.ones(2, torch.ScalarType.ComplexFloat32),
        };
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Save(path, tensors));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void MissingFoldersAreCreated()
    {
        string path = Path.Combine(dir.Path, "new", "folder", "results.json");
        AtomicWrite.WriteAllText(path, "{}");
        Assert.Equal("{}", File.ReadAllText(path));
    }

    [Fact]
    public void AFolderThatCannotExistIsAClearError()
    {
        File.WriteAllText(dir.File("plain-file"), "x");
        string path = Path.Combine(dir.Path, "plain-file", "model.safetensors");
        var error = Assert.Throws<BadInputException>(() => AtomicWrite.File(path, stream => stream.WriteByte(1)));
        Assert.StartsWith(path + ": cannot write the file", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void ReadOnlyFolderIsAClearErrorAndLeavesNothing()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        string folder = Directory.CreateDirectory(dir.File("locked")).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            bool canWriteAnyway = CanWrite(folder);
            Skip.If(canWriteAnyway, "This user (root?) can write into a read-only folder, so the failure cannot be provoked.");
            Assert.Throws<BadInputException>(() => SafetensorsFile.Save(Path.Combine(folder, "m.safetensors"),
                new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(1) }));
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    static bool CanWrite(string folder)
    {
        string probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
