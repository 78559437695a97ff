#!/usr/bin/perl
# cells.pl — read `tmux capture-pane -e -p` output on stdin and print each
# screen line as runs of "{STATE}TEXT": STATE is the colours and attributes
# in force for the cells of TEXT. tmux emits SGR changes relative to the
# previous cell, carried across lines, and leaves out the end of a line it
# never saw written; so a line erased to its end and one written with
# spaces differ in the raw capture. Here blanks at a line's end that show
# nothing (default background, no reverse, underline, strike or blink) are
# dropped, and two captures compare cell by cell.
use strict;
use warnings;

binmode STDIN, ':encoding(UTF-8)';
binmode STDOUT, ':encoding(UTF-8)';

my %on = (1 => 'bold', 2 => 'dim', 3 => 'italic', 4 => 'ul', 5 => 'blink',
          7 => 'rev', 8 => 'invis', 9 => 'strike');
my %off = (22 => ['bold', 'dim'], 23 => ['italic'], 24 => ['ul'], 25 => ['blink'],
           27 => ['rev'], 28 => ['invis'], 29 => ['strike']);
my ($fg, $bg, %attr) = ('d', 'd');

sub apply {
	my @p = split /[;:]/, ($_[0] eq '' ? '0' : $_[0]), -1;
	while (@p) {
		my $c = shift @p;
		$c = 0 if $c eq '';
		if ($c == 0) { ($fg, $bg, %attr) = ('d', 'd'); }
		elsif ($on{$c}) { $attr{$on{$c}} = 1; }
		elsif ($off{$c}) { delete @attr{@{$off{$c}}}; }
		elsif ($c >= 30 && $c <= 37) { $fg = $c - 30; }
		elsif ($c >= 90 && $c <= 97) { $fg = $c - 90 + 8; }
		elsif ($c == 39) { $fg = 'd'; }
		elsif ($c >= 40 && $c <= 47) { $bg = $c - 40; }
		elsif ($c >= 100 && $c <= 107) { $bg = $c - 100 + 8; }
		elsif ($c == 49) { $bg = 'd'; }
		elsif ($c == 38 || $c == 48 || $c == 58) {
			my $mode = shift @p // 0;
			my @v = $mode == 5 ? (shift @p // 0) : $mode == 2 ? splice(@p, 0, 3) : ();
			my $col = join(',', @v);
			$fg = $col if $c == 38;
			$bg = $col if $c == 48;
		}
	}
}

sub state { join(' ', "fg=$fg", "bg=$bg", sort keys %attr) }

while (my $line = <STDIN>) {
	chomp $line;
	my @cells;
	while (length $line) {
		if ($line =~ s/^\e\[([0-9;:]*)m//) { apply($1); next; }
		if ($line =~ s/^\e[()][0-9A-Za-z]//) { next; }
		if ($line =~ s/^\e\[[0-9;:?]*[A-Za-z]//) { next; }
		$line =~ s/^(\X)//s;
		push @cells, [state(), $1];
	}
	while (@cells && $cells[-1][1] eq ' ' && $cells[-1][0] =~ /bg=d/ &&
	       $cells[-1][0] !~ /\b(rev|ul|strike|blink)\b/) {
		pop @cells;
	}
	my ($cur, $out) = ('', '');
	for my $c (@cells) {
		$out .= "{$c->[0]}" if $c->[0] ne $cur;
		$cur = $c->[0];
		$out .= $c->[1];
	}
	print "$out\n";
}
