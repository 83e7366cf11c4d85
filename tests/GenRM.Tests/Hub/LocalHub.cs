using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GenRM.Tests.Hub;

/// <summary>
/// A Hugging Face hub on 127.0.0.1 for tests, serving <c>ROOT/{models|datasets}/{owner}/{name}/…</c> in
/// the hub's URL layout: the tree API (two entries a page, linked by <c>Link: rel="next"</c>; files
/// ending in .safetensors listed as LFS with their sha256, the others with their git blob sha1) and
/// <c>resolve</c> with Range requests. It records each request's path, Authorization and Range
/// headers, can drop the connection once partway through a file, and can list a wrong sha256.
/// </summary>
internal sealed class LocalHub : IDisposable
{
    const int PageSize = 2;

    readonly string root;
    readonly HttpListener listener = new();
    readonly Task loop;

    public LocalHub(string root)
    {
        this.root = root;
        int port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public ConcurrentQueue<(string Path, string? Authorization, string? Range)> Requests { get; } = new();

    /// <summary>Drop the connection after this many bytes of this file (repository path), once.</summary>
    public (string Path, int Bytes)? DropOnce { get; set; }

    /// <summary>Repository paths whose listed sha256 is replaced by this value.</summary>
    public Dictionary<string, string> WrongSha256 { get; } = [];

    static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Handle(context); }
            catch (Exception e) when (e is HttpListenerException or IOException) { /* the client went away */ }
        }
    }

    void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        string path = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        Requests.Enqueue((path, request.Headers["Authorization"], request.Headers["Range"]));
        string[] parts = path.Trim('/').Split('/');
        if (parts is ["api", var type, var owner, var name, "tree", "main"])
            ServeTree(context, Path.Combine(root, type, owner, name), int.Parse(request.QueryString["cursor"] ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        else if (parts is ["datasets", var dOwner, var dName, "resolve", "main", ..])
            ServeFile(context, Path.Combine(root, "datasets", dOwner, dName), string.Join('/', parts[5..]));
        else if (parts is [var mOwner, var mName, "resolve", "main", ..])
            ServeFile(context, Path.Combine(root, "models", mOwner, mName), string.Join('/', parts[4..]));
        else
            Answer(context, 404, "no such route");
    }

    void ServeTree(HttpListenerContext context, string repository, int cursor)
    {
        if (!Directory.Exists(repository)) { Answer(context, 404, "Repository not found"); return; }
        var entries = Directory.EnumerateFileSystemEntries(repository, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(full => Entry(full, Path.GetRelativePath(repository, full).Replace('\\', '/'))).ToList();
        var page = new JsonArray([.. entries.Skip(cursor).Take(PageSize)]);
        if (cursor + PageSize < entries.Count)
            context.Response.AddHeader("Link", $"<{Endpoint}{context.Request.Url!.AbsolutePath}?recursive=true&cursor={cursor + PageSize}>; rel=\"next\"");
        Answer(context, 200, page.ToJsonString());
    }

    JsonObject Entry(string full, string relative)
    {
        if (Directory.Exists(full)) return new JsonObject { ["type"] = "directory", ["path"] = relative, ["oid"] = new string('d', 40), ["size"] = 0 };
        byte[] bytes = File.ReadAllBytes(full);
        var entry = new JsonObject { ["type"] = "file", ["path"] = relative, ["size"] = bytes.Length, ["oid"] = GitBlobSha1(bytes) };
        if (relative.EndsWith(".safetensors", StringComparison.Ordinal))
            entry["lfs"] = new JsonObject { ["oid"] = WrongSha256.GetValueOrDefault(relative) ?? Convert.ToHexStringLower(SHA256.HashData(bytes)), ["size"] = bytes.Length, ["pointerSize"] = 134 };
        return entry;
    }

#pragma warning disable CA5350 // git's blob name, to list what the hub lists.
    static string GitBlobSha1(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));
#pragma warning restore CA5350

    void ServeFile(HttpListenerContext context, string repository, string relative)
    {
        string full = Path.Combine(repository, relative);
        if (!File.Exists(full)) { Answer(context, 404, "Entry not found"); return; }
        byte[] bytes = File.ReadAllBytes(full);
        long from = 0;
        if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = 206;
            context.Response.AddHeader("Content-Range", $"bytes {from}-{bytes.Length - 1}/{bytes.Length}");
        }
        context.Response.ContentLength64 = bytes.Length - from;
        if (DropOnce is { } drop && drop.Path == relative)
        {
            DropOnce = null;
            context.Response.OutputStream.Write(bytes, (int)from, drop.Bytes);
            context.Response.OutputStream.Flush();
            context.Response.Abort();
            return;
        }
        context.Response.OutputStream.Write(bytes, (int)from, bytes.Length - (int)from);
        context.Response.Close();
    }

    static void Answer(HttpListenerContext context, int status, string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
