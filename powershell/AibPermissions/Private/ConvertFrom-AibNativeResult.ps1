function ConvertFrom-AibNativeResult {
    # Decodes a UTF-8 JSON buffer from the library.
    [CmdletBinding()]
    param (
        [AllowNull()]
        [byte[]] $Bytes
    )

    if ($null -eq $Bytes -or $Bytes.Length -eq 0) {
        return $null
    }
    $text = [System.Text.Encoding]::UTF8.GetString($Bytes)
    $text | ConvertFrom-Json
}
