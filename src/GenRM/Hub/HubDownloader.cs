using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GenRM.Modeling;

namespace GenRM.Hub;

/// <summary>What a download placed: the repository's files and the bytes fetched this time.</summary>
public sealed record HubDownloadResult(string Folder, IReadOnlyList<HubFile> Files, long BytesFetched);

/// <summary>
/// Downloads a model or dataset repository from a Hugging Face hub into a folder. The file list comes
/// from the tree API (<c>/api/{type}s/{repo}/tree/{revision}?recursive=true</c>, following its
/// <c>Link: rel="next"</c> pages), each file from <c>/[datasets/]{repo}/resolve/{revision}/{path}</c>.
/// A file is written to <c>PATH.partial</c>, resumed with an HTTP Range request after a dropped
/// connection (in this run or a later one), checked against the listed size and checksum, and only
/// then renamed into place, so a file under its own name is always a checked one. Progress goes to
/// <paramref name="progress"/>; the token never does.
/// </summary>
public sealed class HubDownloader(HubDownloadConfig config, TextWriter? progress = null) : IDisposable
{
    public const string PartialSuffix = ".partial";

    readonly HubDownloadConfig config = config.Validated();
    readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };

    string Base => config.Endpoint.TrimEnd('/');

    string EscapedRevision => Uri.EscapeDataString(config.Revision);

    /// <summary>Lists the repository's files (directories left out).</summary>
    public async Task<IReadOnlyList<HubFile>> ListFilesAsync(CancellationToken cancellation = default)
    {
        var files = new List<HubFile>();
        string? url = $"{Base}/api/{config.RepoType}s/{config.Repo}/tree/{EscapedRevision}?recursive=true";
        while (url is not null)
        {
            HttpResponseMessage listed;
            try
            {
                listed = await SendAsync(url, range: null, "the file list", cancellation).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (!cancellation.IsCancellationRequested)
            {
                throw new BadInputException($"{Base}: cannot reach the hub for {config.Repo}'s file list ({e.Message}).", e);
            }
            using var response = listed;
            string body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            if (JsonNode.Parse(body) is not JsonArray entries)
                throw new BadInputException($"{url}: the hub's file list is not a JSON array.");
            foreach (JsonNode? entry in entries)
                if (entry?["type"]?.GetValue<string>() == "file")
                    files.Add(ParseFile(entry, url));
            url = NextPage(response);
        }
        return files;
    }

    static HubFile ParseFile(JsonNode entry, string url)
    {
        string path = entry["path"]?.GetValue<string>() ?? throw new BadInputException($"{url}: a file entry has no path.");
        long size = entry["size"]?.GetValue<long>() ?? throw new BadInputException($"{url}: {path} has no size.");
        return new HubFile(path, size, entry["lfs"]?["oid"]?.GetValue<string>(), entry["oid"]?.GetValue<string>());
    }

    static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (string link in links.SelectMany(l => l.Split(',')))
        {
            int open = link.IndexOf('<', StringComparison.Ordinal), close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal))
                return link[(open + 1)..close];
        }
        return null;
    }

    /// <summary>
    /// Downloads every file into <paramref name="folder"/>. Files already in place with the listed
    /// size are kept; every path is checked to stay inside the folder before anything is written.
    /// </summary>
    public async Task<HubDownloadResult> DownloadAsync(string folder, CancellationToken cancellation = default)
    {
        var files = await ListFilesAsync(cancellation).ConfigureAwait(false);
        var targets = files.Select(f => (File: f, Target: TargetPath(folder, f.Path))).ToList();
        progress?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"download  {config.RepoType} {config.Repo}@{config.Revision}: {files.Count} files, {Megabytes(files.Sum(f => f.Size))} MB into {Path.GetFullPath(folder)}"));
        long fetched = 0;
        foreach (var (file, target) in targets)
        {
            cancellation.ThrowIfCancellationRequested();
            if (File.Exists(target) && new FileInfo(target).Length == file.Size)
            {
                progress?.WriteLine($"          {file.Path}: already in place");
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            fetched += await FetchWithRetriesAsync(file, target + PartialSuffix, cancellation).ConfigureAwait(false);
            Verify(file, target + PartialSuffix);
            File.Move(target + PartialSuffix, target, overwrite: true);
        }
        return new HubDownloadResult(Path.GetFullPath(folder), files, fetched);
    }

    /// <summary>The file's place under <paramref name="folder"/>; a path that would leave it is refused.</summary>
    internal static string TargetPath(string folder, string relative)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string[] segments = relative.Split('/', '\\');
        if (Path.IsPathRooted(relative) || segments.Any(s => s is "" or "." or ".."))
            throw new BadInputException($"the hub lists '{relative}', a path that escapes the target folder; nothing was written.");
        string full = Path.GetFullPath(Path.Combine([root, .. segments]));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new BadInputException($"the hub lists '{relative}', a path that escapes the target folder; nothing was written.");
        return full;
    }

    async Task<long> FetchWithRetriesAsync(HubFile file, string partial, CancellationToken cancellation)
    {
        long fetched = 0;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                fetched += await FetchAsync(file, partial, cancellation).ConfigureAwait(false);
                return fetched;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellation.IsCancellationRequested)
            {
                long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                if (attempt >= config.MaxAttempts)
                    throw new BadInputException($"{file.Path}: the download stopped at {have} of {file.Size} bytes ({e.Message}); run the command again to resume.", e);
                progress?.WriteLine($"          {file.Path}: connection lost at {have} bytes ({e.Message}); resuming (try {attempt + 1} of {config.MaxAttempts})");
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Appends the missing bytes to <paramref name="partial"/>; returns how many came.</summary>
    async Task<long> FetchAsync(HubFile file, string partial, CancellationToken cancellation)
    {
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (have > file.Size)
        {
            File.Delete(partial);
            have = 0;
        }
        if (have == file.Size && have > 0) return 0;
        string url = $"{Base}/{(config.RepoType == "dataset" ? "datasets/" : "")}{config.Repo}/resolve/{EscapedRevision}/{string.Join('/', file.Path.Split('/').Select(Uri.EscapeDataString))}";
        using var response = await SendAsync(url, have > 0 ? have : null, file.Path, cancellation).ConfigureAwait(false);
        bool resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (have > 0)
            progress?.WriteLine(resumed ? $"          {file.Path}: resuming at {have} bytes" : $"          {file.Path}: the server sent the whole file; starting over");
        long start = resumed ? have : 0;
        await using var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        long written = 0;
        var clock = Stopwatch.StartNew();
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
            written += read;
            if (clock.Elapsed.TotalSeconds >= 2)
            {
                progress?.WriteLine($"          {file.Path}: {Megabytes(start + written)} of {Megabytes(file.Size)} MB");
                clock.Restart();
            }
        }
        progress?.WriteLine($"          {file.Path}: {Megabytes(start + written)} MB");
        return written;
    }

    async Task<HttpResponseMessage> SendAsync(string url, long? range, string what, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (config.Token is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (range is { } from)
            request.Headers.Range = new RangeHeaderValue(from, null);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        var status = response.StatusCode;
        response.Dispose();
        throw new BadInputException(status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"{config.Repo}: {what}: access denied ({(int)status}); the repository is gated or private: accept its terms on the hub and set HF_TOKEN.",
            HttpStatusCode.NotFound => $"{config.Repo}: {what}: not found (404); check the repository, --repo-type and --revision '{config.Revision}'.",
            _ => $"{config.Repo}: {what}: the hub answered {(int)status} {status}.",
        });
    }

    /// <summary>Checks size and checksum; a mismatch deletes the partial file, so nothing unchecked stays.</summary>
    static void Verify(HubFile file, string partial)
    {
        long length = new FileInfo(partial).Length;
        string? problem = null;
        if (length != file.Size)
            problem = $"size {length} bytes, the hub lists {file.Size}";
        else if (file.Sha256 is { } sha256 && Checksum.Sha256(partial) is var actual && !actual.Equals(sha256, StringComparison.OrdinalIgnoreCase))
            problem = $"sha256 {actual}, the hub lists {sha256}";
        else if (file.Sha256 is null && file.GitSha1 is { } oid && GitBlobSha1(partial, length) is var blob && !blob.Equals(oid, StringComparison.OrdinalIgnoreCase))
            problem = $"git blob sha1 {blob}, the hub lists {oid}";
        if (problem is null) return;
        File.Delete(partial);
        throw new BadInputException($"{file.Path}: checksum mismatch ({problem}); the download was discarded and nothing was put in place.");
    }

    /// <summary>Git's name for a file's content: SHA-1 of <c>blob LENGTH\0</c> and the bytes (an integrity check against the hub's oid, not a security one).</summary>
    static string GitBlobSha1(string path, long length)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {length}\0")));
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            sha1.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    public void Dispose() => http.Dispose();
}
