// The honest part: what OPL did at browser scale when we measured it, what the paper reports at full scale,
// and the citation.
export function ScaleStory() {
  return (
    <section className="scale-story" aria-labelledby="scale-title">
      <h2 id="scale-title">What to expect at browser scale</h2>
      <p>
        Measured in PyTorch before this lab existed: ResNet-8 width 16, SGD lr 0.05, batch 64, 10 CIFAR-10 classes × 500 images, 10 epochs,
        two seeds. Test-set figures:
      </p>
      <table className="story-table">
        <thead>
          <tr>
            <th scope="col">loss</th>
            <th scope="col">accuracy</th>
            <th scope="col">same-class cos</th>
            <th scope="col">different-class cos</th>
            <th scope="col">class-mean off-diagonal</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">CE</th>
            <td>0.49 / 0.57</td>
            <td>0.82 / 0.81</td>
            <td>0.67 / 0.66</td>
            <td>0.81 / 0.81</td>
          </tr>
          <tr>
            <th scope="row">CE + OPL, γ 0.5 (README)</th>
            <td>0.42 / 0.54</td>
            <td>0.86 / 0.86</td>
            <td>0.66 / 0.66</td>
            <td>0.73 / 0.74</td>
          </tr>
          <tr>
            <th scope="row">CE + OPL, γ 1</th>
            <td>0.35 / 0.49</td>
            <td>0.77 / 0.76</td>
            <td>0.49 / 0.47</td>
            <td>0.60 / 0.57</td>
          </tr>
          <tr>
            <th scope="row">CE + OPL, γ 2</th>
            <td>0.34 / 0.43</td>
            <td>0.60 / 0.53</td>
            <td>0.34 / 0.27</td>
            <td>0.52 / 0.44</td>
          </tr>
        </tbody>
      </table>
      <p>
        With γ = 0.5 the CE + OPL features look like CE’s: same-class and different-class cosines rise together. With γ = 2 different-class
        cosines fall towards orthogonal within a few epochs (5 classes × 200 images, 4 epochs, three seeds: 0.37–0.48 against CE’s 0.62–0.66).
        At these horizons OPL <strong>cost accuracy in every run</strong>, and accuracy varies by about ±0.1 between seeds. The paper’s gains
        (ImageNet ResNet-50 76.15 → 76.98 top-1; CIFAR-100 with class-dependent label noise 47.66 → 53.94) come from 200-epoch schedules
        with full data: this lab shows what the loss does to the feature space, not that it wins here.
      </p>
      <p className="citation">
        Kanchana Ranasinghe, Muzammal Naseer, Munawar Hayat, Salman Khan, Fahad Shahbaz Khan. <cite>Orthogonal Projection Loss</cite>. ICCV
        2021, pp. 12333–12343. Reference code: github.com/kahnchana/opl. CIFAR: Alex Krizhevsky, <cite>Learning Multiple Layers of Features from Tiny
        Images</cite>, 2009.
      </p>
    </section>
  );
}
