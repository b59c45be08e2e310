// One lane of the tile's accumulator: the bit-serial shift-and-add that turns an MVM's read
// steps into column sums, and the residual add of ACCADD (hw/models/tile_compute.cpp).
//
// An element's result is a sum of terms, one term per beat; in_first marks its first beat
// (the running sum starts from 0), in_last its last:
//   MVM read step (in_residual 0): term = in_a << in_plane, negated with in_plane_neg (the i8
//                  sign plane weighs -2^7); in_a is one column's sum over one read step
//   residual      (in_residual 1): term = in_a * in_scale (ACCADD: src[i] * scale)
// With in_last,
//   result = (running sum + term) << in_shift  +  (in_add_old ? in_old : 0)
// enters an output pipeline of cfg_tap + 1 stages (cfg_tap = tile.accumulator.latency - 1,
// latency 1..16; 1 = registered at the accepting edge). Arithmetic is modulo 2^32, as the
// TLM model's.
//
// Handshake (valid/ready, one term per beat), as imc_thresholder: a beat is accepted at a
// rising edge with in_valid && in_ready; a result leaves at a rising edge with out_valid &&
// out_ready; the whole lane stalls while out_valid && !out_ready (in_ready = !out_valid ||
// out_ready). Back to back, B one-beat elements take B + cfg_tap cycles from the first
// accepting edge to the edge that takes the last result, and an element's result leaves
// cfg_tap + 1 cycles after the edge that accepted its last beat.
// cfg_tap is static while elements are in flight. Reset: synchronous, active low (clears
// the valid bits only).
module imc_accumulator #(
    localparam int MAX_LATENCY = 16
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [ 3:0] cfg_tap,
    input  logic        in_valid,
    output logic        in_ready,
    input  logic        in_first,
    input  logic        in_last,
    input  logic        in_residual,
    input  logic [31:0] in_a,
    input  logic [31:0] in_scale,
    input  logic [ 2:0] in_plane,
    input  logic        in_plane_neg,
    input  logic [ 4:0] in_shift,
    input  logic        in_add_old,
    input  logic [31:0] in_old,
    output logic        out_valid,
    input  logic        out_ready,
    output logic [31:0] out_sum
);
  logic [31:0] run;  // the running sum of the element's earlier beats

  // Stage 0: the term, the running sum and, on the last beat, the result.
  logic [31:0] term, total, result;
  always_comb begin
    if (in_residual) begin
      term = in_a * in_scale;
    end else begin
      term = in_a << in_plane;
      if (in_plane_neg) term = -term;
    end
    total  = (in_first ? 32'd0 : run) + term;
    result = (total << in_shift) + (in_add_old ? in_old : 32'd0);
  end

  // Stages 1..MAX_LATENCY: a shift register; the result is tapped at stage cfg_tap + 1.
  logic [MAX_LATENCY-1:0] vld;
  logic [31:0] data[MAX_LATENCY];
  logic advance;

  assign out_valid = vld[cfg_tap];
  assign out_sum   = data[cfg_tap];
  assign advance   = !out_valid || out_ready;
  assign in_ready  = advance;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      vld <= '0;
    end else if (advance) begin
      vld <= {vld[MAX_LATENCY-2:0], in_valid & in_last};
    end
  end

  always_ff @(posedge clk) begin
    if (advance) begin
      data[0] <= result;
      for (int i = 1; i < MAX_LATENCY; i++) data[i] <= data[i-1];
      if (in_valid && !in_last) run <= total;
    end
  end
endmodule
