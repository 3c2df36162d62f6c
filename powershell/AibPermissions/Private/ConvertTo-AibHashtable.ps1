function ConvertTo-AibHashtable {
    # A hashtable from a JSON object's properties (ARM tags); an empty one for null.
    [CmdletBinding()]
    [OutputType([hashtable])]
    param (
        [AllowNull()]
        [object] $InputObject
    )

    $table = @{}
    if ($null -eq $InputObject) {
        return $table
    }
    if ($InputObject -is [System.Collections.IDictionary]) {
        foreach ($key in $InputObject.Keys) {
            $table[[string]$key] = $InputObject[$key]
        }
        return $table
    }
    foreach ($property in $InputObject.PSObject.Properties) {
        $table[$property.Name] = $property.Value
    }
    return $table
}
