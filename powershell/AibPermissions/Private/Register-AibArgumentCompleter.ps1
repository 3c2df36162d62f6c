function Register-AibArgumentCompleter {
    # Registers tab completion for values that can be listed without a network call.
    # Completers are fast, never prompt and never throw: on failure they return nothing.
    [CmdletBinding()]
    param ()

    $scenarioCompleter = {
        param ($commandName, $parameterName, $wordToComplete)
        $null = $commandName, $parameterName
        try {
            Get-AibScenarioName | Where-Object { $_ -like "$wordToComplete*" }
        } catch {
            $null = $_
        }
    }
    Register-ArgumentCompleter -CommandName 'New-AibRoleDefinition', 'Export-AibRoleDefinition' -ParameterName 'Scenario' -ScriptBlock $scenarioCompleter

    $objectTypeCompleter = {
        param ($commandName, $parameterName, $wordToComplete)
        $null = $commandName, $parameterName
        'ServicePrincipal', 'User', 'Group', 'ForeignGroup', 'Device' | Where-Object { $_ -like "$wordToComplete*" }
    }
    Register-ArgumentCompleter -CommandName 'New-AibRoleAssignment' -ParameterName 'ObjectType' -ScriptBlock $objectTypeCompleter

    $environmentCompleter = {
        param ($commandName, $parameterName, $wordToComplete)
        $null = $commandName, $parameterName
        'AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment' | Where-Object { $_ -like "$wordToComplete*" }
    }
    Register-ArgumentCompleter -CommandName 'Connect-AibAccount' -ParameterName 'Environment' -ScriptBlock $environmentCompleter
}
