using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Chains;

/// <summary>One problem the chain engine reported, with the certificate it is about (null when it is about the whole chain).</summary>
internal readonly record struct ChainProblem(X509Certificate2? Certificate, X509ChainStatusFlags Status);
