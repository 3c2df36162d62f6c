function Get-AibStatusName {
    # The name of an aibperm_status number, as docs/native-interface.md lists them.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory)]
        [uint32] $Status
    )

    $names = @{
        0   = 'OK'
        1   = 'PENDING'
        100 = 'NULL_ARGUMENT'
        101 = 'INVALID_UTF8'
        102 = 'INVALID_JSON'
        103 = 'INVALID_ARGUMENT'
        104 = 'UNKNOWN_OPERATION'
        105 = 'NOT_FINISHED'
        106 = 'ALREADY_TAKEN'
        200 = 'CREDENTIAL'
        300 = 'TRANSPORT'
        301 = 'DEADLINE_EXCEEDED'
        302 = 'CANCELLED'
        400 = 'SERVICE'
        410 = 'CONFLICT'
        500 = 'DECODE'
        900 = 'PANIC'
        901 = 'INTERNAL'
    }
    $key = [int]$Status
    if ($names.ContainsKey($key)) {
        return $names[$key]
    }
    return "STATUS_$Status"
}
