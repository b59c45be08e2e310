// The digital datapath of one SRAM crossbar column (tile.crossbar.readout: digital): for one
// read step, the XNOR of every driven row's input with the weight in the column's cells, and
// the popcount of the products over the step's rows (hw/models/crossbar_mvm.cpp).
//
//   product of row r in {-1, 0, +1}: nonzero iff x_nz[r] & w_nz[r];
//                                     +1 iff XNOR(x_neg[r], w_neg[r]) (equal signs), else -1
//   sum = popcount(+1 products) - popcount(-1 products)            (two's complement)
//
// Inputs and weights are ternary codes (nz, neg): (1,0) = +1, (1,1) = -1, (0,x) = 0. A b1
// input drives every row of its segments; rows outside the step or in masked segments have
// x_nz = 0. Bit i of the row ports is row (first row of the step's group) + i.
//
// Handshake (valid/ready, one read step per beat): a step is accepted at a rising edge with
// in_valid && in_ready; the column latches the step's wordlines and cells there and the XNOR
// and adder tree evaluate them for cfg_tap + 1 cycles (tile.crossbar.read: bitline settling,
// a multicycle path); then the sum is offered with out_valid and leaves at a rising edge with
// out_valid && out_ready. The next step is accepted at the edge the previous sum leaves
// (in_ready = !busy || (out_valid && out_ready)), so S steps back to back take
// S * (cfg_tap + 1) cycles from the first accepting edge to the edge that takes the last sum.
// cfg_tap = read - 1 (read 1..16 cycles) is static while a step is in flight.
// Reset: synchronous, active low (clears the busy bit only).
module imc_xbar_column #(
    localparam int ROWS = 256  // rows counted per step: tile.crossbar.rows_per_step <= ROWS
) (
    input  logic            clk,
    input  logic            rst_n,
    input  logic [     3:0] cfg_tap,
    input  logic            in_valid,
    output logic            in_ready,
    input  logic [ROWS-1:0] in_x_nz,
    input  logic [ROWS-1:0] in_x_neg,
    input  logic [ROWS-1:0] in_w_nz,
    input  logic [ROWS-1:0] in_w_neg,
    output logic            out_valid,
    input  logic            out_ready,
    output logic [    31:0] out_sum
);
  localparam int CountBits = $clog2(ROWS + 1);

  // The latched step: wordline drivers and the cells they select.
  logic [ROWS-1:0] x_nz, x_neg, w_nz, w_neg;
  logic busy;        // a step is latched
  logic [3:0] left;  // cycles of its read still to go after the current one

  // XNOR per row, then two popcounts (the adder tree) over the latched rows.
  logic [ROWS-1:0] active, agree, pos, neg;
  logic [CountBits-1:0] n_pos, n_neg;
  always_comb begin
    active = x_nz & w_nz;
    agree  = ~(x_neg ^ w_neg);
    pos    = active & agree;
    neg    = active & ~agree;
    n_pos  = '0;
    n_neg  = '0;
    for (int r = 0; r < ROWS; r++) begin
      n_pos = n_pos + {{(CountBits - 1) {1'b0}}, pos[r]};
      n_neg = n_neg + {{(CountBits - 1) {1'b0}}, neg[r]};
    end
  end

  assign out_sum   = 32'(n_pos) - 32'(n_neg);
  assign out_valid = busy && left == 4'd0;
  assign in_ready  = !busy || (out_valid && out_ready);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      busy <= 1'b0;
    end else if (in_valid && in_ready) begin
      busy <= 1'b1;
    end else if (out_valid && out_ready) begin
      busy <= 1'b0;
    end
  end

  always_ff @(posedge clk) begin
    if (in_valid && in_ready) begin
      left  <= cfg_tap;
      x_nz  <= in_x_nz;
      x_neg <= in_x_neg;
      w_nz  <= in_w_nz;
      w_neg <= in_w_neg;
    end else if (busy && left != 4'd0) begin
      left <= left - 4'd1;
    end
  end
endmodule
