# fish completion for vmtui(1).
# The candidates come from vmtui itself (`vmtui complete words`): every
# command, option and value it knows, the URIs and hosts of config.yaml,
# ~/.ssh/config's aliases, the themes, and the guests, pools, networks and
# volumes of the host the line names (-c/-H), asked with a short timeout
# ($VMTUI_COMPLETE_TIMEOUT seconds, default 2).

function __vmtui_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($tokens[1] complete words -- vmtui $tokens[2..-1] $cur 2>/dev/null)
    or return
    test (count $out) -gt 0; or return
    for c in $out[2..-1]
        echo $c
    end
    switch $out[1]
        case files
            __fish_complete_path $cur
        case dirs
            __fish_complete_directories $cur
    end
end

complete -c vmtui -f -a '(__vmtui_complete)'
