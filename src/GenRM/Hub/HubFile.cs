namespace GenRM.Hub;

/// <summary>
/// One file of a hub repository as its tree API lists it: the path inside the repository, the size,
/// and the checksum the hub gives (sha256 for LFS files, the git blob sha1 for the others).
/// </summary>
public sealed record HubFile(string Path, long Size, string? Sha256, string? GitSha1);
