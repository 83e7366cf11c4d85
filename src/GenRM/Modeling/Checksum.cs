using System.Security.Cryptography;
using System.Text;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>
/// SHA-256 checksums of files, kept in a <c>&lt;file&gt;.sha256</c> sidecar in <c>sha256sum</c>'s format
/// (<c>&lt;64 hex digits&gt;  &lt;file name&gt;</c>), so <c>sha256sum -c model.safetensors.sha256</c> run in the
/// file's folder checks it too.
/// </summary>
public static class Checksum
{
    /// <summary>The sidecar's suffix.</summary>
    public const string SidecarExtension = ".sha256";

    /// <summary>The lowercase hex SHA-256 of the file's content.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Writes <c>&lt;path&gt;.sha256</c> (atomically) and returns the hash.</summary>
    public static string WriteSha256Sidecar(string path)
    {
        string hash = Sha256(path);
        byte[] line = Encoding.UTF8.GetBytes($"{hash}  {Path.GetFileName(path)}\n");
        AtomicWrite.File(path + SidecarExtension, stream => stream.Write(line));
        return hash;
    }

    /// <summary>Checks the file against its <c>&lt;path&gt;.sha256</c> sidecar.</summary>
    /// <exception cref="BadInputException">The sidecar is missing or malformed, or the hash differs.</exception>
    public static void VerifySha256Sidecar(string path)
    {
        string sidecar = path + SidecarExtension;
        if (!File.Exists(path))
            throw BadInputException.About(path, "no such file to verify");
        if (!File.Exists(sidecar))
            throw BadInputException.About(sidecar, "no checksum file beside " + Path.GetFileName(path));
        string line = File.ReadLines(sidecar).FirstOrDefault() ?? "";
        // sha256sum writes "<hash>  <name>" (text mode) or "<hash> *<name>" (binary mode).
        string expected = line.Split(' ', 2)[0].ToLowerInvariant();
        if (expected.Length != 64 || !expected.All(char.IsAsciiHexDigit))
            throw BadInputException.About(sidecar, "not in sha256sum format (64 hex digits, two spaces, the file name)");
        string actual = Sha256(path);
        if (actual != expected)
            throw BadInputException.About(path, $"SHA-256 is {actual} but {Path.GetFileName(sidecar)} expects {expected}: the file is corrupt or was changed");
    }
}
