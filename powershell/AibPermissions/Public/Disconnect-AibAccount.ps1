function Disconnect-AibAccount {
    <#
    .SYNOPSIS
        Closes the session's connection and frees its native client.

    .DESCRIPTION
        Disconnect-AibAccount forgets the context set by Connect-AibAccount or Start-AibEmulator
        and frees the native client with its cached tokens. Commands that call Azure fail until
        the session connects again. It does nothing when the session is not connected.

    .EXAMPLE
        Disconnect-AibAccount

        Closes the connection of the current session.

    .EXAMPLE
        Disconnect-AibAccount -WhatIf

        Shows which endpoint would be disconnected without doing it.

    .OUTPUTS
        None.

    .LINK
        Connect-AibAccount
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType([void])]
    param ()

    $context = $script:AibSession.Context
    if ($null -eq $context) {
        Write-Verbose '[Disconnect-AibAccount] not connected'
        return
    }
    if (-not $PSCmdlet.ShouldProcess($context.ArmEndpoint, 'Disconnect')) {
        return
    }
    Write-Verbose "[Disconnect-AibAccount] disconnecting from $($context.ArmEndpoint)"
    Clear-AibSession
}
