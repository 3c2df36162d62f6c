function Test-AibGuid {
    # True when the text is a GUID in the 8-4-4-4-12 form ARM uses.
    [CmdletBinding()]
    [OutputType([bool])]
    param (
        [AllowEmptyString()]
        [AllowNull()]
        [string] $Value
    )

    return ($Value -match '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
}
