function New-AibErrorRecord {
    # An ErrorRecord for a native failure (-Exception) or for bad input found in PowerShell
    # (-Message -Field). ErrorId is the ARM code or status name; for bad input it also names
    # the field, as '<STATUS>.<field>'.
    [CmdletBinding(DefaultParameterSetName = 'Native')]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Native')]
        [AibPermissions.NativeException] $Exception,

        [Parameter(Mandatory, ParameterSetName = 'Argument')]
        [string] $Message,

        [Parameter(Mandatory, ParameterSetName = 'Argument')]
        [string] $Field,

        [AllowNull()]
        [object] $Target,

        [string] $RecommendedAction
    )

    if ($PSCmdlet.ParameterSetName -eq 'Argument') {
        $argumentException = New-Object -TypeName System.ArgumentException -ArgumentList $Message, $Field
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $argumentException, "INVALID_ARGUMENT.$Field", ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Target
        if ($RecommendedAction) {
            $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $Message
            $record.ErrorDetails.RecommendedAction = $RecommendedAction
        }
        return $record
    }

    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    switch -Regex ($Exception.StatusName) {
        '^INVALID_' { $category = 'InvalidArgument'; break }
        '^CONFLICT$' { $category = 'ResourceExists'; break }
        '^CREDENTIAL$' { $category = 'AuthenticationError'; break }
        '^TRANSPORT$' { $category = 'ConnectionError'; break }
        '^DEADLINE_EXCEEDED$' { $category = 'OperationTimeout'; break }
        '^CANCELLED$' { $category = 'OperationStopped'; break }
        '^UNKNOWN_OPERATION$' { $category = 'NotImplemented'; break }
        '^DECODE$' { $category = 'InvalidResult'; break }
    }
    if ($Exception.StatusName -eq 'SERVICE') {
        switch ($Exception.HttpStatus) {
            400 { $category = 'InvalidArgument' }
            401 { $category = 'AuthenticationError' }
            403 { $category = 'PermissionDenied' }
            404 { $category = 'ObjectNotFound' }
            409 { $category = 'ResourceExists' }
            429 { $category = 'LimitsExceeded' }
            default { $category = 'NotSpecified' }
        }
    }

    $errorId = $Exception.StatusName
    if ($Exception.ArmCode) {
        $errorId = $Exception.ArmCode
    } elseif ($category -eq 'InvalidArgument' -and $Exception.Target) {
        $errorId = "$($Exception.StatusName).$($Exception.Target)"
    }
    if ($null -eq $Target -and $Exception.Target) {
        $Target = $Exception.Target
    }

    $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $Exception, $errorId, $category, $Target
    $action = $RecommendedAction
    if (-not $action) {
        $action = Get-AibRecommendedAction -Exception $Exception -Target $Target
    }
    if (-not $action) {
        $action = $Exception.RecommendedAction
    }
    if ($action) {
        $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $Exception.Message
        $record.ErrorDetails.RecommendedAction = $action
    }
    $record
}
