function ConvertFrom-AibNativeResult {
    # Decodes a UTF-8 JSON buffer from the library (or returns the bytes with -Raw).
    [CmdletBinding()]
    param (
        [AllowNull()]
        [byte[]] $Bytes,

        [switch] $Raw
    )

    if ($Raw) {
        return , $Bytes
    }
    if ($null -eq $Bytes -or $Bytes.Length -eq 0) {
        return $null
    }
    $text = [System.Text.Encoding]::UTF8.GetString($Bytes)
    $text | ConvertFrom-Json
}
