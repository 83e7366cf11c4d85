using System.ComponentModel;
using System.Diagnostics;
using GenRM.Modeling;

namespace GenRM.Tests.Modeling;

public sealed class ChecksumTests : IDisposable
{
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void SidecarIsInSha256sumFormat()
    {
        string path = dir.File("abc.txt");
        File.WriteAllText(path, "abc");

        string hash = Checksum.WriteSha256Sidecar(path);

        const string Known = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        Assert.Equal(Known, hash);
        Assert.Equal(Known + "  abc.txt\n", File.ReadAllText(path + ".sha256"));
        Checksum.VerifySha256Sidecar(path);
    }

    [SkippableFact]
    public void CoreutilsSha256sumAcceptsTheSidecar()
    {
        string path = dir.File("model.safetensors");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))]);
        Checksum.WriteSha256Sidecar(path);

        var start = new ProcessStartInfo("sha256sum", ["-c", "model.safetensors.sha256"])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process? process = null;
        try { process = Process.Start(start); }
        catch (Win32Exception) { /* no sha256sum on this machine */ }
        Skip.If(process is null, "sha256sum (coreutils) is not on this machine.");
        using (process)
        {
            string output = process!.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("model.safetensors: OK", output.Trim());
        }
    }

    [Fact]
    public void FlippedByteIsDetected()
    {
        string path = dir.File("model.safetensors");
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(path, bytes);
        Checksum.WriteSha256Sidecar(path);

        bytes[2000] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<BadInputException>(() => Checksum.VerifySha256Sidecar(path));
        Assert.StartsWith(path + ": SHA-256 is ", error.Message, StringComparison.Ordinal);
        Assert.Contains("the file is corrupt or was changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryModeSidecarFromSha256sumIsAccepted()
    {
        string path = dir.File("abc.txt");
        File.WriteAllText(path, "abc");
        File.WriteAllText(path + ".sha256", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD *abc.txt\n");
        Checksum.VerifySha256Sidecar(path);
    }

    [Fact]
    public void MissingOrMalformedSidecarIsAClearError()
    {
        string path = dir.File("abc.txt");
        File.WriteAllText(path, "abc");
        var missing = Assert.Throws<BadInputException>(() => Checksum.VerifySha256Sidecar(path));
        Assert.Contains("no checksum file", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(path + ".sha256", "not a hash\n");
        var malformed = Assert.Throws<BadInputException>(() => Checksum.VerifySha256Sidecar(path));
        Assert.Contains("not in sha256sum format", malformed.Message, StringComparison.Ordinal);
    }
}
