function New-AibNativeException {
    # Builds an AibPermissions.NativeException from a status and the library's error JSON.
    [CmdletBinding()]
    [OutputType('AibPermissions.NativeException')]
    param (
        [Parameter(Mandatory)]
        [uint32] $Status,

        [AllowNull()]
        [AllowEmptyString()]
        [string] $ErrorJson,

        [string] $Operation
    )

    $statusName = Get-AibStatusName -Status $Status
    $message = "$Operation failed with status $statusName"
    $httpStatus = 0
    $armCode = $null
    $requestId = $null
    $target = $null
    $recommendedAction = $null
    if ($ErrorJson) {
        $details = $ErrorJson | ConvertFrom-Json
        $names = @($details.PSObject.Properties | ForEach-Object { $_.Name })
        if ($names -contains 'statusName' -and $details.statusName) { $statusName = [string]$details.statusName }
        if ($names -contains 'message' -and $details.message) { $message = [string]$details.message }
        if ($names -contains 'httpStatus' -and $null -ne $details.httpStatus) { $httpStatus = [int]$details.httpStatus }
        if ($names -contains 'armCode') { $armCode = $details.armCode }
        if ($names -contains 'requestId') { $requestId = $details.requestId }
        if ($names -contains 'target') { $target = $details.target }
        if ($names -contains 'recommendedAction') { $recommendedAction = $details.recommendedAction }
    }

    $arguments = @($Status, $statusName, $message, $httpStatus, $armCode, $requestId, $target, $recommendedAction, $ErrorJson)
    New-Object -TypeName AibPermissions.NativeException -ArgumentList $arguments
}
