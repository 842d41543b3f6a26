using System.Buffers;
using System.IO.Compression;
using Junction.Events;
using Microsoft.AspNetCore.Http;

namespace Junction.Ingest.Tracking;

/// <summary>
/// A request body read into a pooled buffer, decompressed when <c>Content-Encoding</c> says so, and held to a size
/// limit measured after decompression (so a small gzip bomb cannot get past it). Dispose returns the buffer.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public static async Task<(RequestBody? Body, Rejection? Error)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        Stream source = request.Body;
        var compressed = true;
        switch (encoding.ToUpperInvariant())
        {
            case "" or "IDENTITY":
                compressed = false;
                if (request.ContentLength > limit)
                {
                    return (null, TooLarge(limit));
                }

                break;
            case "GZIP" or "X-GZIP":
                source = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                break;
            case "DEFLATE":
                source = new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                break;
            case "BR":
                source = new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                break;
            default:
                return (null, new Rejection(
                    "unsupported_content_encoding",
                    $"Content-Encoding \"{encoding}\" is not supported; send the body as is, or with gzip, deflate or br."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, (int?)request.ContentLength + 1 ?? 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, TooLarge(limit));
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, TooLarge(limit));
                }
            }
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, new Rejection(
                "bad_compression", $"The body could not be decompressed as {encoding}; check the Content-Encoding header."));
        }
        catch (BadHttpRequestException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, new Rejection("bad_request", ex.Message));
        }
        finally
        {
            if (compressed)
            {
                await source.DisposeAsync();
            }
        }

        return (new RequestBody(buffer, length), null);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Rejection TooLarge(int limit) =>
        new("body_too_large", $"The request body is larger than {limit / 1024} KB; send fewer events per request.");
}
