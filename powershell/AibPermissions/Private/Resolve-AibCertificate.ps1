function Resolve-AibCertificate {
    # The certificate part of a clientCertificate credential: the path of an unencrypted PEM
    # file as it is, or, for a PFX file or an encrypted PEM key, the certificate and its
    # PKCS#8 key as PEM text in memory (PowerShell 7 only). The key is never written to disk.
    [CmdletBinding()]
    [OutputType([hashtable])]
    param (
        [Parameter(Mandatory)]
        [string] $Path,

        [System.Security.SecureString] $Password,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $fullPath = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not (Test-Path -LiteralPath $fullPath -PathType Leaf)) {
        $record = New-AibErrorRecord -Message "CertificatePath '$fullPath' is not a file." -Field 'CertificatePath' -Target $fullPath
        $Cmdlet.ThrowTerminatingError($record)
    }
    $bytes = [System.IO.File]::ReadAllBytes($fullPath)
    $isPem = $bytes.Length -ge 5 -and [System.Text.Encoding]::ASCII.GetString($bytes, 0, 5) -eq '-----'
    if ($isPem -and $null -eq $Password) {
        return @{ certificatePath = $fullPath }
    }

    if ($PSVersionTable.PSEdition -ne 'Core') {
        $message = 'A PFX file or an encrypted PEM key needs PowerShell 7; on Windows PowerShell give a PEM file with an unencrypted PKCS#8 key.'
        $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'CertificatePath' -Target $fullPath))
    }
    $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]
    $plain = $null
    if ($null -ne $Password) { $plain = ConvertFrom-AibSecureString -SecureString $Password }
    try {
        if ($isPem) {
            $certificate = $x509::CreateFromEncryptedPemFile($fullPath, $plain)
        } else {
            $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable -bor [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet
            $certificate = New-Object -TypeName $x509.FullName -ArgumentList $bytes, $plain, $flags
        }
    } catch {
        $message = "CertificatePath '$fullPath' cannot be opened: wrong -CertificatePassword, or not a PFX or PEM file."
        $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'CertificatePassword' -Target $fullPath))
    }
    try {
        $rsa = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate)
        if ($null -eq $rsa) {
            $message = "CertificatePath '$fullPath' holds no RSA private key."
            $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'CertificatePath' -Target $fullPath))
        }
        # An ephemeral PFX key may refuse a plain export; an encrypted round trip works for all.
        $round = [System.Security.Cryptography.PbeParameters]::new([System.Security.Cryptography.PbeEncryptionAlgorithm]::Aes256Cbc, [System.Security.Cryptography.HashAlgorithmName]::SHA256, 1)
        $transient = [guid]::NewGuid().ToString()
        $encrypted = $rsa.ExportEncryptedPkcs8PrivateKey($transient, $round)
        $copy = [System.Security.Cryptography.RSA]::Create()
        $read = 0
        $copy.ImportEncryptedPkcs8PrivateKey($transient, $encrypted, [ref]$read)
        $key = $copy.ExportPkcs8PrivateKey()
        $pem = [System.Text.StringBuilder]::new()
        $null = $pem.Append("-----BEGIN CERTIFICATE-----`n")
        $null = $pem.Append([System.Convert]::ToBase64String($certificate.RawData, 'InsertLineBreaks'))
        $null = $pem.Append("`n-----END CERTIFICATE-----`n-----BEGIN PRIVATE KEY-----`n")
        $null = $pem.Append([System.Convert]::ToBase64String($key, 'InsertLineBreaks'))
        $null = $pem.Append("`n-----END PRIVATE KEY-----`n")
        [System.Array]::Clear($key, 0, $key.Length)
        @{ certificatePem = $pem.ToString() }
    } finally {
        $certificate.Dispose()
    }
}
