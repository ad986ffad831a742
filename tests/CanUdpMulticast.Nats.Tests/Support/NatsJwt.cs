using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>
/// Builds the JWTs of NATS decentralised authentication (operator, account, user; claims version 2) and a user's
/// <c>.creds</c> file, signed with NKeys, as <c>nsc</c> would: <c>base64url(header).base64url(claims).base64url(sig)</c>
/// where the Ed25519 signature of the issuer covers the first two parts.
/// </summary>
public static class NatsJwt
{
    private const string Header = """{"typ":"JWT","alg":"ed25519-nkey"}""";

    /// <summary>A self-signed operator JWT.</summary>
    /// <param name="operatorKey">The operator's key pair.</param>
    /// <param name="name">The operator's name.</param>
    /// <returns>The JWT.</returns>
    public static string Operator(KeyPair operatorKey, string name) =>
        Sign(operatorKey, operatorKey.GetPublicKey(), name, new JsonObject { ["type"] = "operator", ["version"] = 2 });

    /// <summary>An account JWT issued by the operator, without limits.</summary>
    /// <param name="operatorKey">The issuing operator.</param>
    /// <param name="accountKey">The account's key pair.</param>
    /// <param name="name">The account's name.</param>
    /// <returns>The JWT.</returns>
    public static string Account(KeyPair operatorKey, KeyPair accountKey, string name) =>
        Sign(operatorKey, accountKey.GetPublicKey(), name, new JsonObject
        {
            // Claims are decoded without defaults: a missing limit is 0 (nothing allowed), so say "no limit" (-1).
            ["limits"] = new JsonObject
            {
                ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1,
                ["wildcards"] = true, ["conn"] = -1, ["leaf"] = -1,
            },
            ["default_permissions"] = new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject() },
            ["type"] = "account",
            ["version"] = 2,
        });

    /// <summary>A user JWT issued by the account; <paramref name="subscribeAllow"/> limits what it may subscribe to.</summary>
    /// <param name="accountKey">The issuing account.</param>
    /// <param name="userKey">The user's key pair.</param>
    /// <param name="name">The user's name.</param>
    /// <param name="subscribeAllow">Subjects the user may subscribe to; <see langword="null"/> for all.</param>
    /// <returns>The JWT.</returns>
    public static string User(KeyPair accountKey, KeyPair userKey, string name, IReadOnlyList<string>? subscribeAllow = null)
    {
        var subscribe = new JsonObject();
        if (subscribeAllow is not null)
        {
            subscribe["allow"] = new JsonArray([.. subscribeAllow.Select(s => (JsonNode)s)]);
        }

        return Sign(accountKey, userKey.GetPublicKey(), name, new JsonObject
        {
            ["pub"] = new JsonObject(),
            ["sub"] = subscribe,
            ["subs"] = -1,
            ["data"] = -1,
            ["payload"] = -1,
            ["type"] = "user",
            ["version"] = 2,
        });
    }

    /// <summary>The text of a <c>.creds</c> file (the layout <c>nsc generate creds</c> writes).</summary>
    /// <param name="userJwt">The user JWT.</param>
    /// <param name="userKey">The user's key pair (its seed goes into the file).</param>
    /// <returns>The file's text.</returns>
    public static string Creds(string userJwt, KeyPair userKey) => $"""
        -----BEGIN NATS USER JWT-----
        {userJwt}
        ------END NATS USER JWT------

        ************************* IMPORTANT *************************
        NKEY Seed printed below can be used to sign and prove identity.
        NKEYs are sensitive and should be treated as secrets.

        -----BEGIN USER NKEY SEED-----
        {userKey.GetSeed()}
        ------END USER NKEY SEED------

        *************************************************************

        """;

    private static string Sign(KeyPair issuer, string subject, string name, JsonObject nats)
    {
        var claims = new JsonObject
        {
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = name,
            ["sub"] = subject,
            ["nats"] = nats,
        };

        // nsc derives the id from a hash of the claims; the server only needs it to be unique.
        claims["jti"] = Base32(SHA256.HashData(Encoding.UTF8.GetBytes(claims.ToJsonString())));
        var signed = Base64Url(Encoding.UTF8.GetBytes(Header)) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(signed), signature);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base32(byte[] bytes)
    {
        var chars = new char[NATS.NKeys.Base32.GetEncodedLength(bytes)];
        var length = NATS.NKeys.Base32.ToBase32(bytes, chars);
        return new string(chars, 0, length);
    }
}
